// The web console: React 19 + Ant Design + ECharts, built by `npm run build:console` into dist/console,
// which the service serves at `/` (src/platform/http/console/console.ts). `npm run dev:console` serves it
// with hot reload on :5173 and forwards /api to the service on :3000.
import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // antd and echarts are large: split them so the console's own code stays small and cacheable.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|dayjs)/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|i18next|react-i18next)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
