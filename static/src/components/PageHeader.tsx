import type { ReactNode } from 'react';
import Heading from '@atlaskit/heading';

interface Props {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, description, actions }: Props) {
  return (
    <header className="page-header">
      <div className="page-header__title-row">
        <Heading size="large" as="h1">
          {title}
        </Heading>
        {actions ? <div className="page-header__actions">{actions}</div> : null}
      </div>
      {description ? <p className="page-header__description">{description}</p> : null}
    </header>
  );
}
