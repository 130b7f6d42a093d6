import { useState } from 'react';
import { errorText, useApiKeys, useCreateApiKey, useRevokeApiKey, useRotateApiKey, type ApiKey, type ApiKeyWithSecret, type Scope } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { Panel } from '../../components/Panel';
import { AccountPicker, Confirm, Note, when } from './common';

const SCOPES: { id: Scope; label: string }[] = [
  { id: 'trade', label: 'Trade' },
  { id: 'read', label: 'Read' },
  { id: 'admin', label: 'Admin' },
];

/** ApiKeysPanel: list keys, create one (its secret shown once), rotate and revoke with confirmation. */
export function ApiKeysPanel() {
  const [filter, setFilter] = useState('');
  const keys = useApiKeys(filter);
  const [secret, setSecret] = useState<{ key: ApiKeyWithSecret; why: 'created' | 'rotated' } | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <Panel title="API keys" testId="admin-api-keys">
      <div className="admin">
        {secret && <SecretReveal k={secret.key} why={secret.why} onDone={() => setSecret(null)} />}
        <CreateKey
          onCreated={(k) => {
            setNote(null);
            setSecret({ key: k, why: 'created' });
          }}
        />
        <div className="row wrap">
          <AccountPicker value={filter} onChange={setFilter} label="Show keys of account" placeholder="all accounts" />
        </div>
        <LoadableView value={keys}>
          {(ks) =>
            ks.length === 0 ? (
              <div className="muted pad">No keys{filter ? ` for ${filter}` : ''}.</div>
            ) : (
              <table className="tight" data-testid="keys-table">
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Account</th>
                    <th>Scopes</th>
                    <th>Label</th>
                    <th>Status</th>
                    <th>Created</th>
                    <th>Rotated</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {ks.map((k) => (
                    <KeyRow
                      key={k.keyId}
                      k={k}
                      onRotated={(r) => {
                        setNote(null);
                        setSecret({ key: r, why: 'rotated' });
                      }}
                      onNote={setNote}
                    />
                  ))}
                </tbody>
              </table>
            )
          }
        </LoadableView>
        <Note note={note} />
      </div>
    </Panel>
  );
}

function KeyRow({ k, onRotated, onNote }: { k: ApiKey; onRotated: (k: ApiKeyWithSecret) => void; onNote: (n: { ok: boolean; text: string }) => void }) {
  const rotate = useRotateApiKey();
  const revoke = useRevokeApiKey();
  const [asking, setAsking] = useState<'rotate' | 'revoke' | null>(null);
  const active = k.status === 'ACTIVE';
  return (
    <>
      <tr data-testid="key-row" data-key-id={k.keyId} data-status={k.status}>
        <td>
          <code>{k.keyId}</code>
        </td>
        <td>{k.accountId}</td>
        <td>{k.scopes.join(', ')}</td>
        <td>{k.label || '—'}</td>
        <td className={active ? 'up' : 'down'}>{active ? 'Active' : `Revoked ${when(k.revokedAt)}`}</td>
        <td className="muted">
          {when(k.createdAt)} by {k.createdBy}
        </td>
        <td className="muted">{when(k.rotatedAt)}</td>
        <td className="num">
          {active && (
            <>
              <button type="button" className="link" onClick={() => setAsking('rotate')}>
                Rotate
              </button>
              <button type="button" className="link danger" onClick={() => setAsking('revoke')}>
                Revoke
              </button>
            </>
          )}
        </td>
      </tr>
      {asking && (
        <tr>
          <td colSpan={8}>
            {asking === 'rotate' ? (
              <Confirm
                confirm="Confirm: rotate"
                danger
                busy={rotate.isPending}
                onCancel={() => setAsking(null)}
                onConfirm={() =>
                  rotate.mutate(k.keyId, {
                    onSuccess: (r) => {
                      setAsking(null);
                      onRotated(r);
                    },
                    onError: (e) => {
                      setAsking(null);
                      onNote({ ok: false, text: errorText(e, 'operator') });
                    },
                  })
                }
              >
                Rotate key <code>{k.keyId}</code> ({k.label || k.accountId})? Its current secret stops working at once: clients using it are refused until they are given the new one.
              </Confirm>
            ) : (
              <Confirm
                confirm="Confirm: revoke"
                danger
                busy={revoke.isPending}
                onCancel={() => setAsking(null)}
                onConfirm={() =>
                  revoke.mutate(k.keyId, {
                    onSuccess: () => {
                      setAsking(null);
                      onNote({ ok: true, text: `Key ${k.keyId} is revoked; requests signed with it are refused within 5 s.` });
                    },
                    onError: (e) => {
                      setAsking(null);
                      onNote({ ok: false, text: errorText(e, 'operator') });
                    },
                  })
                }
              >
                Revoke key <code>{k.keyId}</code> ({k.label || k.accountId})? Every request signed with it is refused within 5 s. This cannot be undone.
              </Confirm>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function CreateKey({ onCreated }: { onCreated: (k: ApiKeyWithSecret) => void }) {
  const create = useCreateApiKey();
  const [accountId, setAccountId] = useState('');
  const [label, setLabel] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['trade', 'read']);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const problem = !accountId ? 'Choose the account.' : scopes.length === 0 ? 'Choose at least one scope.' : !label.trim() ? 'Give the key a label (what it is for).' : null;
  return (
    <form
      className="admin-form"
      aria-label="Create API key"
      onSubmit={(e) => {
        e.preventDefault();
        if (problem) return;
        setNote(null);
        create.mutate(
          { accountId, scopes, label: label.trim() },
          {
            onSuccess: (k) => {
              setLabel('');
              onCreated(k);
            },
            onError: (e) => setNote({ ok: false, text: errorText(e, 'operator') }),
          },
        );
      }}
    >
      <div className="row wrap">
        <AccountPicker value={accountId} onChange={setAccountId} />
        <label>
          Label
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. market-maker bot" />
        </label>
        <fieldset className="checks">
          <legend className="muted small">Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.id} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(s.id)}
                onChange={(e) => setScopes((x) => (e.target.checked ? [...x, s.id] : x.filter((y) => y !== s.id)))}
              />
              {s.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="buy" disabled={problem !== null || create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </div>
      {problem && <p className="muted small hint">{problem}</p>}
      <Note note={note} />
    </form>
  );
}

/** SecretReveal shows a new secret this once, with a copy button; closing it forgets the secret. */
function SecretReveal({ k, why, onDone }: { k: ApiKeyWithSecret; why: 'created' | 'rotated'; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <section className="secret" data-testid="secret-reveal" aria-label="New API secret">
      <strong>
        Key <code>{k.keyId}</code> {why} for {k.accountId}.
      </strong>
      <p className="warn-text" role="alert">
        Copy the secret now and keep it in a secret manager. It is shown only this once and cannot be shown again; if it is lost, rotate the key.
      </p>
      <div className="row">
        <input className="secret-value" readOnly value={k.secret} aria-label="Secret" onFocus={(e) => e.currentTarget.select()} data-testid="new-secret" />
        <button
          type="button"
          onClick={() => {
            const clip = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
            if (!clip) {
              setCopied('failed');
              return;
            }
            clip.writeText(k.secret).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            );
          }}
        >
          Copy
        </button>
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
      {copied === 'yes' && <span className="muted small" role="status">Copied to the clipboard.</span>}
      {copied === 'failed' && <span className="warn-text small" role="status">The browser refused the clipboard: select the secret and copy it by hand.</span>}
    </section>
  );
}
