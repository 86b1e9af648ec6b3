import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import type { Page, User } from '../../api/types';
import { Async, Empty, ErrorBox } from '../../components/states';
import { when } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useInlineEditor } from '../../lib/use-inline-editor';
import { usePagedList } from '../../lib/use-paged-list';
import { UserForm } from './user-form';

const PAGE_SIZE = 100;

export function UsersPage() {
  const { me } = useSession();
  const list = usePagedList((cursor?: string) =>
    call<Page<User>>(
      api.GET('/api/v1/users', { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } }),
    ),
  );
  const { editing, open, close, heading } = useInlineEditor<User>();
  const [notice, setNotice] = useState<string>();
  // admins see every tenant's users: which one is said
  const allTenants = me?.role === 'admin';
  const table = useRef<HTMLDivElement>(null);
  // rows loaded with Show more: the keyboard goes on from the first of them (the button may be gone)
  const [focusUser, setFocusUser] = useState<string>();
  useEffect(() => {
    if (!focusUser) return;
    table.current?.querySelector<HTMLElement>(`tr[data-user-id="${focusUser}"] button`)?.focus();
    setFocusUser(undefined);
  }, [focusUser]);

  return (
    <section>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Users
        </h1>
        <div className="row">
          <Link to="/account/password" className="btn">
            Change my password
          </Link>
          <button type="button" className="btn btn-primary" onClick={() => open('new')}>
            Add user
          </button>
        </div>
      </div>
      <p className="muted">
        People who sign in with a user name and password, or with API tokens made for them.
      </p>
      {editing !== null && (
        <UserForm
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? undefined : editing}
          onCancel={close}
          onSaved={(saved, what) => {
            close();
            list.upsert(saved);
            setNotice(what);
          }}
        />
      )}
      <p role="status" className={notice ? 'notice' : 'sr-only'}>
        {notice}
      </p>
      <Async state={list} what="Loading users">
        {(users) =>
          users.length === 0 ? (
            <Empty>No users yet. Add one to let someone sign in with a password.</Empty>
          ) : (
            <>
              <div className="table-wrap" ref={table}>
                <table aria-label="Users">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      {allTenants && <th scope="col">Tenant</th>}
                      <th scope="col">Role</th>
                      <th scope="col">Email</th>
                      <th scope="col">Sign-in</th>
                      <th scope="col">Created</th>
                      <th scope="col">
                        <span className="sr-only">Edit</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.map((u) => (
                      <tr key={u.id} data-user={u.name} data-user-id={u.id}>
                        <td>
                          {u.name}
                          {u.id === me?.user.id && <span className="muted"> (you)</span>}
                        </td>
                        {allTenants && <td>{u.tenant}</td>}
                        <td data-testid="user-role">{u.role}</td>
                        <td>{u.email ?? <span className="muted">—</span>}</td>
                        <td>
                          {u.hasPassword ? (
                            <span className="badge badge-soft">password set</span>
                          ) : (
                            <span className="muted">API tokens only</span>
                          )}
                        </td>
                        <td>{when(u.createdAt)}</td>
                        <td>
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`Edit ${u.name}`}
                            onClick={() => {
                              setNotice(undefined);
                              open(u);
                            }}
                          >
                            Edit
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {list.moreError !== undefined && (
                <ErrorBox error={list.moreError} retry={() => void list.loadMore()} />
              )}
              {list.hasMore && (
                <div className="row">
                  <button
                    type="button"
                    className="btn"
                    // not disabled while loading: the keyboard stays on it
                    aria-disabled={list.loadingMore}
                    onClick={() => {
                      if (list.loadingMore) return;
                      void list.loadMore().then((rows) => {
                        if (rows[0]) setFocusUser(rows[0].id);
                      });
                    }}
                  >
                    {list.loadingMore ? 'Loading…' : 'Show more users'}
                  </button>
                </div>
              )}
            </>
          )
        }
      </Async>
    </section>
  );
}
