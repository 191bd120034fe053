import { Injectable } from '@nestjs/common';

/** The time schedules are judged by; tests replace it to move time without waiting. */
@Injectable()
export class ScheduleClock {
  now(): Date {
    return new Date();
  }
}
