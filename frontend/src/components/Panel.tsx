import type { ReactNode } from 'react';

/** Panel is a titled card of the trading screen. */
export function Panel(props: { title: ReactNode; actions?: ReactNode; className?: string; children: ReactNode; testId?: string }) {
  return (
    <section className={`panel ${props.className ?? ''}`} data-testid={props.testId} aria-label={typeof props.title === 'string' ? props.title : undefined}>
      <header className="panel-head">
        <h2>{props.title}</h2>
        {props.actions && <div className="panel-actions">{props.actions}</div>}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}
