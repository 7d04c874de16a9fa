/**
 * CloudWatch Logs reads for the log groups trails deliver to, each once per log group, in the log
 * group's Region: DescribeLogGroups (does the group exist: TrailHealth.2) and DescribeMetricFilters
 * (its filters: CloudWatch.1–14, CONTROLS §2.2 step 3).
 */
import { DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { emitsCountableMetric } from './alarmMetrics.js';
import type { Maybe, MetricFilterFacts, MetricId } from '../../model.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { asUnknown, errorCode } from '../../../collect/live/errors.js';
import { scheduledPages } from '../../../collect/live/pages.js';
import type { ApiScheduler } from '../../../collect/live/scheduler.js';
import type { LogGroupIdentity } from './logGroupArn.js';

/** The Logs code for a log group that does not exist (CONTROLS §3.6). */
const LOG_GROUP_GONE = 'ResourceNotFoundException';

/**
 * Whether the log group exists. The listing is by name prefix (AWS has no exact-name filter that
 * every endpoint supports), so the answer is searched for the exact name, and a further page is
 * asked for only while the name has not been seen.
 */
export async function logGroupExists(clients: ClientFactory, scheduler: ApiScheduler, group: LogGroupIdentity): Promise<Maybe<boolean>> {
  const { region, name } = group;
  let token: string | undefined;
  do {
    const current = token;
    const page = await scheduler.call({ action: 'logs:DescribeLogGroups', region, resource: `log group ${name}` }, async () => {
      const client = await clients.logs(region);
      const response = await client.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: name, ...(current === undefined ? {} : { nextToken: current }) }),
      );
      return { names: (response.logGroups ?? []).map((entry) => entry.logGroupName), nextToken: response.nextToken };
    });
    if (!page.ok) {
      return asUnknown(page.error);
    }
    if (page.value.names.includes(name)) {
      return true;
    }
    token = page.value.nextToken === '' ? undefined : page.value.nextToken;
  } while (token !== undefined);
  return false;
}

/**
 * The log group's metric filters. A group that is gone has none: AWS deletes a group's filters
 * with it, so nothing can match (a FAIL for the monitoring items, not an unknown).
 */
export async function metricFiltersOf(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  group: LogGroupIdentity,
): Promise<Maybe<readonly MetricFilterFacts[]>> {
  const { region, name } = group;
  const outcome = await scheduledPages(scheduler, { action: 'logs:DescribeMetricFilters', region, resource: `log group ${name}` }, async (token) => {
    const client = await clients.logs(region);
    const response = await client.send(
      new DescribeMetricFiltersCommand({ logGroupName: name, ...(token === undefined ? {} : { nextToken: token }) }),
    );
    return { items: response.metricFilters ?? [], nextToken: response.nextToken };
  });
  if (!outcome.ok) {
    return errorCode(outcome.cause) === LOG_GROUP_GONE ? [] : asUnknown(outcome.error);
  }
  return outcome.value.map(metricFilterFacts);
}

function metricFilterFacts(filter: MetricFilter): MetricFilterFacts {
  const metrics: MetricId[] = [];
  for (const transformation of filter.metricTransformations ?? []) {
    const dimensioned = Object.keys(transformation.dimensions ?? {}).length > 0;
    if (transformation.metricName !== undefined && transformation.metricName !== '' && emitsCountableMetric(transformation.metricValue, dimensioned)) {
      metrics.push({ name: transformation.metricName, namespace: transformation.metricNamespace ?? '' });
    }
  }
  // An absent pattern matches every event; AWS reports it as the empty string.
  return { name: filter.filterName ?? '', pattern: filter.filterPattern ?? '', metrics };
}
