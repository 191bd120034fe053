import { ServiceSpecFields } from './service-spec.dto';

/** Any field of the spec; one that changes what replicas run makes a new revision. */
export class UpdateServiceDto extends ServiceSpecFields {}
