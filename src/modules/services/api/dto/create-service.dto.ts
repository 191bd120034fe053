import { IsString, Length, Matches } from 'class-validator';
import { Omittable } from '../../../../common/validation/omittable';
import { SERVICE_NAME } from './service-limits';
import { ServiceSpecFields } from './service-spec.dto';

export class CreateServiceDto extends ServiceSpecFields {
  /** A DNS label, unique among services: lower-case letters, digits and `-`. */
  @IsString()
  @Matches(SERVICE_NAME, { message: 'must be a DNS label: a-z, 0-9 and -, at most 63' })
  name: string;

  /** A queue from config; its runtime runs the replicas. The default queue when absent. */
  @Omittable()
  @IsString()
  @Length(1, 64)
  queue?: string;
}
