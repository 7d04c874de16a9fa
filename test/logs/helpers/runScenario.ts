/**
 * Runs `trailaudit validate-logs` in-process (src/cli/main.ts) over a fixture, from moto or from a
 * directory, and returns the exit code and the JSON report.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { main } from '../../../src/cli/main.js';
import { MOTO_CREDENTIALS } from '../../../support/moto/clients.js';
import { publicKeysJson, type FixtureBucket, type SigningKey } from './cloudtrailFixtures.js';

export type Mode = 's3' | 'dir';

export interface ReportFile {
  kind: 'digest' | 'log';
  key: string;
  status: 'valid' | 'INVALID';
  reason: string | null;
  sourceRegion: string;
  backfill: boolean;
}

export interface Report {
  summary: { status: string; digest: { valid: number; INVALID: number }; backfillDigest: { valid: number; INVALID: number }; log: { valid: number; INVALID: number } };
  files: ReportFile[];
  gaps: { sourceRegion: string; backfill: boolean; start: string; end: string }[];
  unverified: { kind: string; key: string; reason: string }[];
  stats: { apiCalls: Record<string, number> };
  found: { start: string; end: string } | null;
  regions: {
    region: string;
    found: { start: string; end: string } | null;
    newestDigestEnd: string | null;
    digest: { valid: number; INVALID: number };
    log: { valid: number; INVALID: number };
  }[];
  missingTails: { region: string; kind: 'missing' | 'logging_off'; start: string; end: string; expectedDigests: number; message: string }[];
  trailStatus: { state: 'read' | 'unreadable' | 'not_read'; isLogging?: boolean | null; stopLoggingTime?: string | null; reason?: string };
  notes: string[];
}

export interface ScenarioResult {
  readonly code: number;
  readonly report: Report;
  statusOf(key: string): string;
}

export interface ScenarioOptions {
  readonly mode: Mode;
  readonly endpoint?: string;
  readonly trailArn: string;
  readonly start: string;
  /** Omitted: no --end-time (the run's start is the end). */
  readonly end?: string;
  readonly keys: readonly SigningKey[];
  readonly sidecars?: 'needed' | 'all' | 'none';
  readonly multiRegion?: boolean;
  readonly organizationTrail?: boolean;
  readonly extraArgs?: readonly string[];
  /** Runs after the fixture and trail exist, before validate-logs (e.g. to start or stop logging). */
  readonly beforeRun?: () => Promise<void>;
}

export async function runScenario(fixture: FixtureBucket, options: ScenarioOptions): Promise<ScenarioResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'trailaudit-digest-'));
  try {
    const keysFile = join(scratch, 'public-keys.json');
    writeFileSync(keysFile, publicKeysJson(options.keys));
    const out = join(scratch, 'out');
    const args = ['validate-logs', '--trail', options.trailArn, '--start-time', options.start, ...(options.end === undefined ? [] : ['--end-time', options.end])];
    args.push('--public-keys', keysFile, '--format', 'json', '--output-dir', out, '--quiet', ...(options.extraArgs ?? []));
    if (options.mode === 's3') {
      const endpoint = options.endpoint ?? '';
      const config = { region: fixture.layout.homeRegion, endpoint, credentials: MOTO_CREDENTIALS };
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      await fixture.writeToS3(s3);
      s3.destroy();
      const cloudtrail = new CloudTrailClient(config);
      await cloudtrail.send(
        new CreateTrailCommand({
          Name: fixture.layout.trailName,
          S3BucketName: fixture.layout.bucket,
          S3KeyPrefix: fixture.layout.prefix,
          IsMultiRegionTrail: options.multiRegion === true,
          IsOrganizationTrail: options.organizationTrail === true,
          EnableLogFileValidation: true,
        }),
      );
      cloudtrail.destroy();
      args.push('--endpoint-url', endpoint);
    } else {
      const dir = join(scratch, 'copy');
      fixture.writeToDir(dir, options.sidecars ?? 'needed');
      args.push('--from-dir', dir);
    }
    await options.beforeRun?.();
    const code = await main(args, scratch);
    let report: Report;
    try {
      report = JSON.parse(readFileSync(join(out, 'trailaudit-logs.json'), 'utf8')) as Report;
    } catch {
      report = { summary: { status: 'none' }, files: [], gaps: [], unverified: [] } as unknown as Report;
    }
    return {
      code,
      report,
      statusOf(key) {
        const file = report.files.find((entry) => entry.key === key);
        if (file !== undefined) {
          return file.status === 'valid' ? 'valid' : `INVALID:${file.reason ?? ''}`;
        }
        const unverified = report.unverified.find((entry) => entry.key === key);
        return unverified === undefined ? 'absent' : `UNVERIFIED:${unverified.reason}`;
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
