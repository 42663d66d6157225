import { readSideSuite } from './read-side.suite.js';

// Views in views.sqlite beside events.sqlite (the default read store).
readSideSuite({ kind: 'sqlite', overrides: () => ({ mongodbUrl: undefined }) });
