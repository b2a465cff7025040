import { writeFileSync } from 'node:fs';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import express, { type NextFunction, type Request, type Response } from 'express';
import { graphql } from 'graphql';
import type { Logger } from 'pino';
import { PinoNestLogger } from '../logging/logger.js';
import { SCHEMA_OUT_VARIABLE } from './schema-out.js';
import { CONFIG, LOGGER } from './tokens.js';

/**
 * Largest request body any process reads (JSON or form): room for the documented maxima, a
 * policy of 1,024 rules per direction (about 200 KB per direction) with its versions' metadata.
 */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * Answers a body the parser refused (too large, malformed JSON) in GraphQL's error shape with a
 * code, instead of Express's bare `{"statusCode":413}`.
 */
function bodyErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const failure = error as { type?: string; status?: number; length?: number };
  if (failure.type === 'entity.too.large') {
    res.status(413).json({
      errors: [
        {
          message: `the request body${failure.length ? ` is ${failure.length} bytes and` : ''} exceeds the limit of ${MAX_BODY_BYTES} bytes`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit: MAX_BODY_BYTES },
        },
      ],
    });
    return;
  }
  if (failure.type === 'entity.parse.failed') {
    res.status(400).json({
      errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
    return;
  }
  next(error);
}

export interface BootstrapOptions {
  /** Name of the config variable holding this process's port. */
  portVariable: string;
}

/**
 * Starts a Nest HTTP process: pino for Nest's own logs, graceful shutdown on SIGTERM/SIGINT
 * (Nest closes modules, which close their pools), and a `listening` line with the URL.
 */
export async function bootstrapService(module: Type, options: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, bodyParser: false });
  app.use(express.json({ limit: MAX_BODY_BYTES }));
  app.use(express.urlencoded({ extended: false, limit: MAX_BODY_BYTES }));
  app.use(bodyErrors);
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  const schemaOut = process.env[SCHEMA_OUT_VARIABLE];
  if (schemaOut) {
    await writeSubgraphSchema(app, schemaOut);
    await app.close();
    return app;
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (process.send) {
    // Started by the launcher with an IPC channel: when the launcher goes away (even killed),
    // the channel closes and this process stops instead of lingering.
    process.on('disconnect', () => {
      void app.close().finally(() => process.exit(0));
    });
  }
  const config = app.get<Record<string, unknown>>(CONFIG);
  const port = Number(config[options.portVariable]);
  const host = String(config.HOST ?? '127.0.0.1');
  await app.listen(port, host);
  logger.info({ url: await app.getUrl() }, 'listening');
  return app;
}

/**
 * `schema:generate`: writes the subgraph SDL exactly as the gateway's composer sees it (the
 * federation `_service.sdl`, with its `@link`), then the process exits without serving.
 */
async function writeSubgraphSchema(app: INestApplication, path: string): Promise<void> {
  await app.init();
  const { schema } = app.get(GraphQLSchemaHost);
  const result = await graphql({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data?._service as { sdl?: string } | undefined)?.sdl;
  if (!sdl) throw new Error(`could not print the subgraph schema: ${JSON.stringify(result.errors)}`);
  writeFileSync(path, `${sdl.trim()}\n`);
}

/** Runs `main`, and exits non-zero with a readable message when start-up fails. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
