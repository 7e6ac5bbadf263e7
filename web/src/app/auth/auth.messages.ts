// Texts of the auth pages in every language (see i18n/messages.ts).
import { defineMessages } from '../i18n/messages';

export const authMessages = defineMessages(
  'auth',
  {
    title: 'Sign in to Gantry',
    username: 'Username',
    password: 'Password',
    sign_in: 'Sign in',
    signing_in: 'Signing in…',
    notice_expired: 'Your session has ended. Sign in again to go back to where you were.',
    notice_signed_out: 'You are signed out.',
    notice_continue: 'Sign in to continue.',
    missing_credentials: 'Enter your username and password.',
    too_many_attempts_wait: 'Too many sign-in attempts; try again in {seconds} seconds.',
  },
  {
    title: '登录 Gantry',
    username: '用户名',
    password: '密码',
    sign_in: '登录',
    signing_in: '正在登录…',
    notice_expired: '会话已结束。请重新登录，登录后将回到之前的页面。',
    notice_signed_out: '你已退出登录。',
    notice_continue: '请先登录再继续。',
    missing_credentials: '请输入用户名和密码。',
    too_many_attempts_wait: '登录尝试次数过多，请在 {seconds} 秒后重试。',
  },
);
