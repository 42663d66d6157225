import { webhooksSuite } from './webhooks.suite.js';

// Webhooks end to end with the views (webhooks, deliveries) in SQLite.
webhooksSuite({ overrides: () => ({}) });
