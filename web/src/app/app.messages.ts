// Texts of the app shell: navigation, language switch (see i18n/messages.ts).
import { defineMessages } from './i18n/messages';

export const appMessages = defineMessages(
  'app',
  {
    skip_to_content: 'Skip to content',
    main_nav: 'Main',
    toggle_nav: 'Toggle navigation',
    waiting: 'Waiting for me',
    tickets_waiting: 'tickets waiting',
    tickets: 'Tickets',
    new_ticket: 'New ticket',
    projects: 'Projects',
    admin: 'Admin',
    tokens: 'API tokens',
    sign_out: 'Sign out',
    language: 'Language',
    language_en: 'English',
    'language_zh-CN': '中文',
  },
  {
    skip_to_content: '跳到正文',
    main_nav: '主导航',
    toggle_nav: '展开或收起导航',
    waiting: '待我处理',
    tickets_waiting: '个工单待处理',
    tickets: '工单',
    new_ticket: '新建工单',
    projects: '项目',
    admin: '管理',
    tokens: 'API 令牌',
    sign_out: '退出登录',
    language: '语言',
    language_en: 'English',
    'language_zh-CN': '中文',
  },
);
