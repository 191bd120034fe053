import { ApiTokenResponse } from './api-token.response';

export class CreatedApiTokenResponse extends ApiTokenResponse {
  /** The secret (`kiln_...`). Shown this once; store it now. */
  token: string;
}
