import type { Routes } from '@angular/router';
import { adminGuard, authGuard } from './core/auth-guards';

export const routes: Routes = [
  { path: 'sign-in', title: 'Sign in · Gantry', loadComponent: () => import('./auth/sign-in-page').then((m) => m.SignInPage) },
  {
    path: '',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', title: 'Waiting for me · Gantry', loadComponent: () => import('./waiting/waiting-page').then((m) => m.WaitingPage) },
      { path: 'tickets', title: 'Tickets · Gantry', loadComponent: () => import('./tickets/tickets-page').then((m) => m.TicketsPage) },
      { path: 'tickets/new', title: 'New ticket · Gantry', loadComponent: () => import('./new-ticket/new-ticket-page').then((m) => m.NewTicketPage) },
      { path: 'tickets/:id', title: 'Ticket · Gantry', loadComponent: () => import('./ticket/ticket-page').then((m) => m.TicketPage) },
      { path: 'projects', title: 'Projects · Gantry', loadComponent: () => import('./project/projects-page').then((m) => m.ProjectsPage) },
      { path: 'projects/:slug', title: 'Project · Gantry', loadComponent: () => import('./project/project-page').then((m) => m.ProjectPage) },
      { path: 'tokens', title: 'API tokens · Gantry', data: { standalone: true }, loadComponent: () => import('./admin/tokens-page').then((m) => m.TokensPage) },
      {
        path: 'admin',
        canActivate: [adminGuard],
        loadComponent: () => import('./admin/admin-page').then((m) => m.AdminPage),
        children: [
          { path: '', pathMatch: 'full', redirectTo: 'projects' },
          { path: 'projects', title: 'Admin: projects · Gantry', loadComponent: () => import('./admin/admin-projects-page').then((m) => m.AdminProjectsPage) },
          { path: 'projects/:slug', title: 'Admin: project · Gantry', loadComponent: () => import('./admin/admin-project-page').then((m) => m.AdminProjectPage) },
          { path: 'users', title: 'Admin: users · Gantry', loadComponent: () => import('./admin/admin-users-page').then((m) => m.AdminUsersPage) },
          { path: 'tokens', title: 'Admin: API tokens · Gantry', loadComponent: () => import('./admin/tokens-page').then((m) => m.TokensPage) },
          { path: 'audit', title: 'Admin: audit log · Gantry', loadComponent: () => import('./admin/audit-page').then((m) => m.AuditPage) },
        ],
      },
      { path: '**', title: 'Not found · Gantry', loadComponent: () => import('./shared/not-found-page').then((m) => m.NotFoundPage) },
    ],
  },
];
