import Heading from '@atlaskit/heading';
import { api } from '../../api';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { CopyButton } from '../../components/CopyButton';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useResource } from '../../lib/use-resource';

export default function SettingsPage() {
  const [instance, reload] = useResource(api.getInstance);
  return (
    <div className="page">
      <PageHeader title="Settings" description="This instance as your partners see it." />
      {instance.state === 'loading' ? <Loading label="Loading settings" /> : null}
      {instance.state === 'failed' ? <ApiErrorMessage error={instance.error} onRetry={() => void reload()} /> : null}
      {instance.state === 'ready' ? (
        <section className="settings" aria-labelledby="general-heading">
          <Heading size="medium" as="h2" id="general-heading">
            General
          </Heading>
          <dl className="settings__list">
            <dt>Instance name</dt>
            <dd data-testid="instance-name">{instance.value.name}</dd>
            <dt>Exalate URL</dt>
            <dd>
              <div className="settings__url">
                <code data-testid="exalate-url">{instance.value.exalateUrl}</code>
                <CopyButton text={instance.value.exalateUrl} label="Copy" testId="copy-exalate-url" />
              </div>
              <p className="field-help">
                Give this URL to a partner: it is the destination instance URL they enter when they initiate a
                connection with this instance.
              </p>
            </dd>
            <dt>Site URL</dt>
            <dd>{instance.value.siteUrl}</dd>
            <dt>Instance ID</dt>
            <dd>
              <code>{instance.value.instanceId}</code>
            </dd>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
