/** The `validate-logs` run itself, loaded only when the command is used (see validateLogsCommand.ts). */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CallCounter } from '../logs/sources/callCounter.js';
import { DirectoryDigestSource } from '../logs/sources/directorySource.js';
import { ListPublicKeysProvider, StaticKeyProvider } from '../logs/sources/publicKeys.js';
import { S3DigestSource } from '../logs/sources/s3Source.js';
import { readTrailStatus } from '../logs/sources/trailStatus.js';
import { parseTrailArn, resolveTrail } from '../logs/sources/trail.js';
import { ClientFactory } from '../collect/live/clients.js';
import { resolveCredentials } from '../collect/live/credentials.js';
import { RunStop } from '../collect/live/runStop.js';
import { DEFAULT_MAX_ATTEMPTS } from '../collect/live/collect.js';
import { assessChainEnds, type TrailStatusView } from '../logs/chain/chainEnds.js';
import { parsePublicKeyList, type PublicKeyEntry } from '../logs/chain/publicKeys.js';
import { InputFileError, readInputFile } from '../load/inputFile.js';
import type { DigestSource, KeyProvider } from '../logs/chain/source.js';
import { displayDate, isUtcSyntax, parseUtc } from '../logs/chain/time.js';
import { validateTrail, type ValidationProgress } from '../logs/chain/validate.js';
import { LOGS_REPORT_FILE_NAMES, LOGS_REPORT_FORMATS, type LogsReportFormat } from '../logs/reports/formats.js';
import { staleReportNotes, staleReports } from './staleReports.js';
import { formatHuman } from '../logs/reports/human.js';
import { formatDigestJson } from '../logs/reports/json.js';
import { formatDigestJunit } from '../logs/reports/junit.js';
import { formatDigestMarkdown } from '../logs/reports/markdown.js';
import { exitCodeFor, type DigestReportModel } from '../logs/reports/model.js';
import { writeFilesAtomic, type FileToWrite } from './files.js';
import { SpillJournal } from './spillJournal.js';
import { toolVersion } from './pipeline.js';
import { resolveEndpointUrl } from './options.js';
import { TrailauditError, UsageError } from '../errors.js';

/** The options of `validate-logs` as commander gives them (declared in validateLogsCommand.ts). */
export interface ValidateLogsOptions {
  trail: string;
  startTime: string;
  endTime?: string;
  accountId?: string;
  endpointUrl?: string;
  profile?: string;
  publicKeys?: string[];
  fromDir?: string;
  format: LogsReportFormat[];
  outputDir: string;
  concurrency: number;
  /** Seconds; 0 = no deadline. */
  timeout: number;
  verbose?: boolean;
  quiet?: boolean;
  allowUnverified?: boolean;
}

function time(name: string, text: string): Date {
  const date = parseUtc(text);
  if (date === null) {
    throw new UsageError(
      isUtcSyntax(text)
        ? `--${name} "${text}" is not a real date and time (no such day, hour, minute or second; it is never rolled over to another date)`
        : `--${name} "${text}" is not a UTC time such as 2015-01-08T05:21:42Z`,
    );
  }
  return date;
}

function readKeyFiles(files: readonly string[], cwd: string): PublicKeyEntry[] {
  return files.flatMap((file) => {
    const path = resolve(cwd, file);
    try {
      return parsePublicKeyList(readInputFile(path, 'publicKeys'));
    } catch (error) {
      throw new UsageError(`--public-keys ${path}: ${error instanceof InputFileError ? error.problem : (error as Error).message}`);
    }
  });
}

/** A one-line progress display, only on a terminal: CI logs and pipes stay clean. */
function progressLine(enabled: boolean): { update(progress: ValidationProgress): void; finish(): void } {
  const stream = process.stderr;
  if (!enabled || !stream.isTTY) {
    return { update: () => undefined, finish: () => undefined };
  }
  let last = 0;
  let drawn = false;
  const width = (): number => Math.max(20, (stream.columns || 80) - 1);
  return {
    update({ digests, logsDone, logsQueued, bytes }) {
      const now = Date.now();
      if (now - last < 100) {
        return;
      }
      last = now;
      drawn = true;
      const text = `trailaudit: ${digests} digests, ${logsDone}/${logsQueued} log files, ${(bytes / 1e6).toFixed(0)} MB verified`;
      stream.write(`\r${text.slice(0, width()).padEnd(width())}`);
    },
    finish() {
      if (drawn) {
        stream.write(`\r${' '.repeat(width())}\r`);
      }
    },
  };
}

async function run(raw: ValidateLogsOptions, cwd: string): Promise<number> {
  const startedAt = new Date();
  const trail = parseTrailArn(raw.trail);
  if (trail === null) {
    throw new UsageError(`Invalid trail ARN provided: ${raw.trail} (expected arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME)`);
  }
  const start = time('start-time', raw.startTime);
  const end = raw.endTime === undefined ? startedAt : time('end-time', raw.endTime);
  if (start > end) {
    const until = raw.endTime === undefined ? `now (${displayDate(end)}; no --end-time given)` : `--end-time ${displayDate(end)}`;
    throw new UsageError(`Invalid time range specified: start-time must occur before end-time (--start-time ${displayDate(start)} is after ${until})`);
  }
  if (start > startedAt) {
    // A range wholly in the future holds nothing yet: refused like a reversed range, not run as
    // an empty validation that exits 3.
    throw new UsageError(`--start-time ${displayDate(start)} is in the future (now ${displayDate(startedAt)}): no digest can have been delivered yet`);
  }
  if (raw.accountId !== undefined && !/^\d{12}$/u.test(raw.accountId)) {
    throw new UsageError(`--account-id "${raw.accountId}" is not a 12-digit AWS account id`);
  }
  const staticKeys = raw.publicKeys === undefined ? null : readKeyFiles(raw.publicKeys, cwd);
  const directory = raw.fromDir === undefined ? null : resolve(cwd, raw.fromDir);
  if (directory !== null && !(statSync(directory, { throwIfNoEntry: false })?.isDirectory() ?? false)) {
    throw new UsageError(`--from-dir ${directory} is not a directory`);
  }

  const endpointUrl = resolveEndpointUrl(raw.endpointUrl);
  const calls = new CallCounter();
  // AWS clients are created only when something must be asked of AWS: a local copy with a key
  // file is validated entirely offline.
  let factory: ClientFactory | null = null;
  // The run's deadline aborts every request still open (files then unverified, reason timeout).
  const stop = new RunStop(raw.timeout === 0 ? undefined : raw.timeout);
  let journal: SpillJournal | null = null;
  const clients = async (): Promise<ClientFactory> => {
    factory ??= new ClientFactory({
      credentials: await resolveCredentials(raw.profile, endpointUrl),
      endpointUrl,
      profile: raw.profile,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      deadline: stop.signal,
    });
    return factory;
  };

  try {
    let source: DigestSource;
    let bucket: string | null = null;
    let prefix: string | null = null;
    let organizationTrail: boolean | null = null;
    let multiRegion: boolean | null = null;
    if (directory !== null) {
      source = new DirectoryDigestSource(directory);
    } else {
      const aws = await clients();
      const resolved = await resolveTrail(aws.cloudTrail(trail.homeRegion), trail, calls);
      ({ bucket, prefix, organizationTrail, multiRegion } = resolved);
      if (organizationTrail && raw.accountId === undefined) {
        throw new UsageError("Missing required parameter for organization trail: '--account-id'");
      }
      source = new S3DigestSource(aws.s3(trail.homeRegion), resolved.bucket, prefix, calls);
    }
    let keys: KeyProvider;
    if (staticKeys !== null) {
      keys = new StaticKeyProvider(staticKeys);
    } else {
      const aws = await clients();
      const provider = new ListPublicKeysProvider((region) => aws.cloudTrail(region), trail.homeRegion, calls);
      await provider.load(start, end);
      keys = provider;
    }

    const accountId = raw.accountId ?? trail.accountId;
    // Asked while the chains are walked: one call, off the critical path. Only when AWS is used
    // anyway; a local copy with a key file stays offline.
    const trailStatus: Promise<TrailStatusView> =
      directory !== null && staticKeys !== null
        ? Promise.resolve({ state: 'not_read', message: 'offline: --from-dir with --public-keys makes no AWS call' })
        : readTrailStatus((await clients()).cloudTrail(trail.homeRegion), trail, calls, endpointUrl);
    const progress = progressLine(raw.quiet !== true);
    journal = SpillJournal.create();
    let outcome;
    try {
      outcome = await validateTrail(
        { trailName: trail.name, homeRegion: trail.homeRegion, accountId, bucket, prefix, organizationTrail, start, end, concurrency: raw.concurrency },
        source,
        keys,
        journal,
        (state) => {
          progress.update(state);
        },
      );
    } finally {
      progress.finish();
    }

    const context: DigestReportModel['context'] = {
      toolVersion: toolVersion(),
      trailArn: trail.arn,
      accountId,
      homeRegion: trail.homeRegion,
      bucket,
      prefix,
      organizationTrail,
      source: directory === null ? { type: 's3', location: `s3://${bucket ?? ''}/${prefix ?? ''}` } : { type: 'directory', location: directory },
      start,
      end,
      startedAt,
      finishedAt: new Date(),
      apiCalls: calls.toJSON(),
      logBytes: outcome.logBytes,
      url: (fileBucket, key) => source.url(fileBucket === '' ? null : fileBucket, key),
    };
    const chainEnds = assessChainEnds({
      trailName: trail.name,
      homeRegion: trail.homeRegion,
      multiRegion,
      regions: outcome.summary.regions,
      start,
      end,
      now: startedAt,
      trailStatus: await trailStatus,
    });
    // Each report reads the journal afresh: the verdicts are never all in memory at once.
    const model: DigestReportModel = { context, summary: outcome.summary, chainEnds, timeline: journal };

    const outputDir = resolve(cwd, raw.outputDir);
    const selected = new Set(raw.format);
    // Made lazily while written (each reads the journal afresh), all or nothing.
    const reports: FileToWrite[] = [];
    const add = (name: string, content: string | Iterable<string>): void => {
      reports.push({ path: join(outputDir, name), content });
    };
    if (selected.has('json')) {
      add(LOGS_REPORT_FILE_NAMES.json, formatDigestJson(model));
    }
    if (selected.has('junit')) {
      add(LOGS_REPORT_FILE_NAMES.junit, formatDigestJunit(model));
    }
    if (selected.has('markdown')) {
      add(LOGS_REPORT_FILE_NAMES.markdown, `# trailaudit report\n\n${formatDigestMarkdown(model)}\n`);
    }
    writeFilesAtomic(reports);
    if (raw.quiet !== true) {
      for (const chunk of formatHuman(model, { verbose: raw.verbose === true })) {
        (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text);
      }
      for (const { path } of reports) {
        process.stderr.write(`report: ${path}\n`);
      }
      const notAsked = LOGS_REPORT_FORMATS.filter((format) => !selected.has(format)).map((format) => LOGS_REPORT_FILE_NAMES[format]);
      process.stderr.write(staleReportNotes(staleReports(outputDir, notAsked)));
    }
    return exitCodeFor(model, raw.allowUnverified === true);
  } finally {
    const deadline = stop.deadlineReached();
    if (deadline !== undefined) {
      process.stderr.write(`trailaudit validate-logs: the --timeout of ${String(deadline.seconds)} s passed; files not read by then are not verified (timeout).\n`);
    }
    stop.dispose();
    (factory as ClientFactory | null)?.destroy();
    journal?.dispose();
  }
}


/** Run the command; bad input is reported on stderr and gives exit 2 with no report written. */
export async function runValidateLogs(raw: ValidateLogsOptions, cwd: string): Promise<number> {
  try {
    return await run(raw, cwd);
  } catch (error) {
    if (error instanceof TrailauditError) {
      // Messages may end a sentence of their own; one full stop, not ".;".
      process.stderr.write(`trailaudit validate-logs: ${error.message.replace(/\.$/u, '')}; nothing was validated and no report was written.\n`);
      return error.exitCode;
    }
    throw error;
  }
}
