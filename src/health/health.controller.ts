import { Controller, Get, Inject } from '@nestjs/common';

import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';

@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async health(): Promise<{ status: 'ok'; store: { kind: string; status: 'ok'; position: string | null } }> {
    const position = await this.store.headPosition();
    return { status: 'ok', store: { kind: this.store.kind, status: 'ok', position: position ?? null } };
  }
}
