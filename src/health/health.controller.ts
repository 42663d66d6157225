import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../access/roles.decorator.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Store and projection status (no key needed)' })
  async health(): Promise<{ status: 'ok'; store: { kind: string; status: 'ok'; position: string | null } }> {
    const position = await this.store.headPosition();
    return { status: 'ok', store: { kind: this.store.kind, status: 'ok', position: position ?? null } };
  }
}
