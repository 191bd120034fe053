import { UserResponse } from '../../auth';

export class UserPageResponse {
  items: UserResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
