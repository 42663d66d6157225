import { Module } from '@nestjs/common';

import { CreditsController } from './credits.controller.js';

/** Store credit per customer: POST/GET /api/customers/:id/credits (payments drawn on it go through the orders module). */
@Module({ controllers: [CreditsController] })
export class CreditsModule {}
