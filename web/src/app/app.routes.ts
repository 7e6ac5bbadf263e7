import type { Routes } from '@angular/router';
// Titles are catalog keys; i18n/translated-title.ts shows them in the user's language.
import { adminGuard, authGuard } from './core/auth-guards';

export const routes: Routes = [
  { path: 'sign-in', title: 'app.title_sign_in', loadComponent: () => import('./auth/sign-in-page').then((m) => m.SignInPage) },
  {
    path: '',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', title: 'app.title_waiting', loadComponent: () => import('./waiting/waiting-page').then((m) => m.WaitingPage) },
      { path: 'tickets', title: 'app.title_tickets', loadComponent: () => import('./tickets/tickets-page').then((m) => m.TicketsPage) },
      { path: 'tickets/new', title: 'app.title_new_ticket', loadComponent: () => import('./new-ticket/new-ticket-page').then((m) => m.NewTicketPage) },
      { path: 'tickets/:id', title: 'app.title_ticket', loadComponent: () => import('./ticket/ticket-page').then((m) => m.TicketPage) },
      { path: 'projects', title: 'app.title_projects', loadComponent: () => import('./project/projects-page').then((m) => m.ProjectsPage) },
      { path: 'projects/:slug', title: 'app.title_project', loadComponent: () => import('./project/project-page').then((m) => m.ProjectPage) },
      { path: 'tokens', title: 'app.title_tokens', data: { standalone: true }, loadComponent: () => import('./admin/tokens-page').then((m) => m.TokensPage) },
      {
        path: 'admin',
        canActivate: [adminGuard],
        loadComponent: () => import('./admin/admin-page').then((m) => m.AdminPage),
        children: [
          { path: '', pathMatch: 'full', redirectTo: 'projects' },
          { path: 'projects', title: 'app.title_admin_projects', loadComponent: () => import('./admin/admin-projects-page').then((m) => m.AdminProjectsPage) },
          { path: 'projects/:slug', title: 'app.title_admin_project', loadComponent: () => import('./admin/admin-project-page').then((m) => m.AdminProjectPage) },
          { path: 'users', title: 'app.title_admin_users', loadComponent: () => import('./admin/admin-users-page').then((m) => m.AdminUsersPage) },
          { path: 'tokens', title: 'app.title_admin_tokens', loadComponent: () => import('./admin/tokens-page').then((m) => m.TokensPage) },
          { path: 'audit', title: 'app.title_admin_audit', loadComponent: () => import('./admin/audit-page').then((m) => m.AuditPage) },
        ],
      },
      { path: '**', title: 'app.title_not_found', loadComponent: () => import('./shared/not-found-page').then((m) => m.NotFoundPage) },
    ],
  },
];
