import { loadConfig, ConfigError } from './config.ts';
import { createMotcua } from './app.ts';

/** `npm start` / `motcua serve`: start the server and stop gracefully on SIGINT/SIGTERM. */
export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const motcua = await createMotcua(config);
  const { app } = motcua;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    motcua.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: motcua.db.kind, demo: config.demo, sandboxIdp: config.sandboxIdp, docs: `${config.publicUrl}/docs` },
    `Motcua is listening on ${config.publicUrl}`,
  );
}

if (import.meta.main) await serve();
