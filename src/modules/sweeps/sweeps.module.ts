import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RetentionRegistry } from '../../common/retention/retention-registry';
import { AuthModule } from '../auth';
import { TASKS_RETENTION_SUBJECT, TasksModule } from '../tasks';
import { MedianStopping } from './median-stopping';
import { SweepTicker } from './sweep-ticker';
import { SweepTrial } from './sweep-trial.entity';
import { SweepTrials } from './sweep-trials';
import { Sweep } from './sweep.entity';
import { SweepRepository } from './sweep.repository';
import { SweepsController } from './sweeps.controller';
import { SweepsService } from './sweeps.service';

/** Hyperparameter sweeps: trials as tasks from a template, a leaderboard from their metrics. */
@Module({
  imports: [TypeOrmModule.forFeature([Sweep, SweepTrial]), TasksModule, AuthModule],
  controllers: [SweepsController],
  providers: [MedianStopping, SweepRepository, SweepTicker, SweepTrials, SweepsService],
})
export class SweepsModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly sweeps: SweepRepository,
  ) {}

  onModuleInit(): void {
    // a running sweep's leaderboard reads its trials' metric points: keep their tasks
    this.retention.hold(TASKS_RETENTION_SUBJECT, () => this.sweeps.runningTrialTaskIds());
  }
}
