import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, UNAVAILABLE_PROBLEM } from '../../common/decorators/api-problems.decorator';
import { Auth, Role } from '../auth';
import { SystemResponse } from './dto/system.response';
import { SystemService } from './system.service';

@ApiTags('admin')
@Auth(Role.Admin)
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('admin/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  @ApiOperation({
    summary: 'Version, run mode, live processes and the leader, database, Redis and job queues',
  })
  getSystem(): Promise<SystemResponse> {
    return this.system.view();
  }
}
