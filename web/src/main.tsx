import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/App';
import { createI18n, startLanguage } from './i18n';

const language = startLanguage();
document.documentElement.lang = language;
const i18n = createI18n(language);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App i18n={i18n} />
  </StrictMode>,
);
