import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the outbox has read one log (task events, service events, schedule fires). */
@Entity('webhook_outbox_position')
export class WebhookOutboxPosition {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  /** The last event id turned into deliveries; for schedule fires, a time in ms. */
  @Column({
    name: 'last_event_id',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  lastEventId: number;
}
