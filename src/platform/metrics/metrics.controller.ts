import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Authenticated } from '../../access/roles.decorator.js';
import { MetricsRegistry } from './metrics-registry.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Authenticated()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics (any authenticated caller)',
    description:
      'Text exposition format. Projections: jxc_projection_lag_events, jxc_projection_events_total, jxc_projection_dead_letters, ' +
      'jxc_projection_runner_up; HTTP: jxc_http_request_duration_seconds{method, route, status_class} (histogram, route pattern); ' +
      'commands: jxc_commands_total{family, command, outcome=ok|refused|error, code}; event store and command path counters; Node process metrics (jxc_process_*).',
  })
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
