import pino, { stdTimeFunctions, type Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { isPrettyLogFormat, prettyLogDestination } from './log-format.js';

/**
 * A logger for a process that runs no Nest application (a clustered API's primary): the same
 * level, format and destination as the application's own lines.
 */
export function processLogger(config: AppConfig, name: string): Logger {
  const options = { name, level: config.logLevel, timestamp: stdTimeFunctions.isoTime };
  const terminal = process.stdout.isTTY === true;
  if (!isPrettyLogFormat(config.logFormat, terminal)) return pino(options);
  return pino(options, prettyLogDestination(process.stdout, { color: terminal }));
}
