import { UserResponse } from '../../auth/dto/user.response';

export class UserPageResponse {
  items: UserResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
