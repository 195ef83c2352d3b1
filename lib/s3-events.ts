import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Config } from './config';

/**
 * Bucket notifications, as Ceph's radosgw sends them: a topic (radosgw serves the SNS API on its own
 * endpoint) whose push endpoint is the crawl scheduler's `/s3-events/<secret>` (crawler/wake-server.ts), and
 * the bucket's notification of every created or removed object to it. radosgw then POSTs each event as it
 * happens, so a new experiment is indexed seconds after its upload instead of at the next recent pass.
 */

const TOPIC = 'braingeneers-search-events';
const NOTIFICATION_ID = 'braingeneers-search';

export async function subscribeToBucketEvents(s3: Config['s3'], client: S3Client, pushEndpoint: string): Promise<{ topicArn: string }> {
  const sns = new SNSClient({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.profile ? fromIni({ profile: s3.profile }) : fromNodeProviderChain(),
    maxAttempts: s3.maxAttempts,
  });
  try {
    // radosgw's topic attributes: where to push, and no persistent queue (the recent pass covers a miss).
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: TOPIC, Attributes: { 'push-endpoint': pushEndpoint } }));
    if (!TopicArn) throw new Error('the server created no topic');
    const current = await client.send(new GetBucketNotificationConfigurationCommand({ Bucket: s3.bucket }));
    const others = (current.TopicConfigurations ?? []).filter((t) => t.Id !== NOTIFICATION_ID);
    await client.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: s3.bucket,
        NotificationConfiguration: {
          ...current,
          TopicConfigurations: [...others, { Id: NOTIFICATION_ID, TopicArn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }],
        },
      }),
    );
    return { topicArn: TopicArn };
  } finally {
    sns.destroy();
  }
}
