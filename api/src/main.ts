import 'reflect-metadata';
import { createApp } from './app.js';
import { listen } from './common/http/shutdown.js';
import { ConfigError, loadConfig } from './config.js';

try {
  const config = loadConfig();
  const app = await createApp(config);
  const server = await listen(app);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.logger.info(
    { port, database: config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})`, demo: config.demo },
    `Accountable on http://localhost:${port} (GraphQL at /graphql)`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
  } else {
    console.error('failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
