import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the outbox has read the task event log; one row. */
@Entity('webhook_outbox_position')
export class WebhookOutboxPosition {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  /** The last task event id turned into deliveries. */
  @Column({
    name: 'last_event_id',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  lastEventId: number;
}
