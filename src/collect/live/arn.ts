/** ARN parsing: the owner account and home region of a trail are read from its ARN. */

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return null;
  }
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}
