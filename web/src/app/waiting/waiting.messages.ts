// Texts of the waiting pages in every language (see i18n/messages.ts).
import { defineMessages } from '../i18n/messages';

export const waitingMessages = defineMessages(
  'waiting',
  {
    title: 'Waiting for me',
    refresh: 'Refresh',
    new_ticket: 'New ticket',
    loading: 'Loading what waits for you…',
    empty: 'Nothing is waiting for you right now. This page checks again every few seconds.',
    rollback_to: 'rollback to v{version}',
    by: 'by {author}',
    updated: 'updated',
  },
  {
    title: '待我处理',
    refresh: '刷新',
    new_ticket: '新建工单',
    loading: '正在加载待你处理的工单…',
    empty: '目前没有需要你处理的工单。本页每隔几秒会自动检查一次。',
    rollback_to: '回滚到 v{version}',
    by: '提交人：{author}',
    updated: '更新于',
  },
);
