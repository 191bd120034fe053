import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemResponse {
  /** Dotted path of the field, e.g. `resources.gpu`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export class ProblemDetailsResponse {
  /** A URI naming the kind of problem; `about:blank` when the status says it all. */
  @ApiProperty({ example: 'https://kiln.dev/problems/validation-error' })
  type: string;
  @ApiProperty({ example: 'Bad Request' })
  title: string;
  @ApiProperty({ type: 'integer', example: 400 })
  status: number;
  detail: string;
  /** The request path the problem happened on. */
  instance: string;
  /** Quote this when reporting a problem; it is on every log line of the request. */
  requestId: string;
  @ApiPropertyOptional({ type: [FieldProblemResponse] })
  errors?: FieldProblemResponse[];
}
