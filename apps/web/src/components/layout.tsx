import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigationType } from 'react-router';
import { isStaff, useSession } from '../lib/session';

const link = ({ isActive }: { isActive: boolean }) => (isActive ? 'nav-link active' : 'nav-link');

export function Layout() {
  const { me, signOut } = useSession();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const navigation = useNavigationType();
  const loaded = useRef(false);
  // on navigation, move focus to the page so keyboard and screen-reader users start at its top;
  // not on the first load nor on redirects (sign-in, /admin), where the browser starts at the
  // skip link as on any page
  useEffect(() => {
    if (loaded.current && navigation !== 'REPLACE') main.current?.focus({ preventScroll: true });
    loaded.current = true;
  }, [location.pathname, navigation]);
  return (
    <div className="shell">
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          // focus, not just scroll: the next Tab starts inside the page
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/catalog" className="brand">
          Switchyard
        </NavLink>
        <nav aria-label="Main" className="nav">
          <NavLink to="/catalog" className={link}>
            Catalog
          </NavLink>
          {/* a member's own: the only ones it can act on (operators watch the whole tenant) */}
          <NavLink to={isStaff(me) ? '/deployments' : '/deployments?mine=true'} className={link}>
            My deployments
          </NavLink>
          <NavLink to="/approvals" className={link}>
            Approvals
          </NavLink>
          {isStaff(me) && (
            <NavLink to="/admin" className={link}>
              Admin
            </NavLink>
          )}
        </nav>
        <div className="who">
          <span className="muted" title={`tenant ${me?.tenant.name}`}>
            {me?.user.name} · {me?.role}
          </span>
          <span className="row">
            <NavLink to="/account/password" className="btn btn-small">
              Change password
            </NavLink>
            <button type="button" className="btn btn-small" onClick={() => void signOut()}>
              Sign out
            </button>
          </span>
        </div>
      </header>
      {location.pathname.startsWith('/admin') && isStaff(me) && (
        <nav aria-label="Admin" className="subnav">
          <NavLink to="/admin/cloud-accounts" className={link}>
            Cloud accounts
          </NavLink>
          <NavLink to="/admin/environments" className={link}>
            Environments
          </NavLink>
          <NavLink to="/admin/tokens" className={link}>
            Tokens
          </NavLink>
          <NavLink to="/admin/users" className={link}>
            Users
          </NavLink>
          <NavLink to="/admin/audit-log" className={link}>
            Audit log
          </NavLink>
          <NavLink to="/admin/self-check" className={link}>
            Self-check
          </NavLink>
          <NavLink to="/admin/governance" className={link}>
            Quotas and budget
          </NavLink>
        </nav>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
