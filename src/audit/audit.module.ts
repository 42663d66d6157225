import { Module } from '@nestjs/common';

import { AuditController } from './audit.controller.js';

/** The auditor's tools: the audit trail, history, hash-chain verification. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
