/**
 * Notifications with a labelled close button (screen readers announce «Закрыть уведомление»). They
 * stand bottom-right, clear of the header's name and «Выйти» and the queue's filters, close by
 * themselves, and go when the person opens another page (issue #19: they stacked top-right and stayed).
 */
import { notifications, notificationsStore, type NotificationData } from '@mantine/notifications';

/** The page each notification belongs to; `null`: the page the action is about to open. */
const pageOf = new Map<string, string | null>();

export const notify = (data: NotificationData, options: { forNextPage?: boolean } = {}): string => {
  const id = notifications.show({
    closeButtonProps: { 'aria-label': 'Закрыть уведомление' },
    autoClose: 5000,
    ...data,
  });
  pageOf.set(id, options.forNextPage ? null : window.location.pathname);
  return id;
};

/** Another page is open: the notifications of the pages before it go. */
export function clearOtherPagesNotifications(pathname: string): void {
  for (const { id } of notificationsStore.getState().notifications) {
    if (!id) continue;
    const page = pageOf.get(id);
    if (page === null) pageOf.set(id, pathname);
    else if (page !== pathname) {
      notifications.hide(id);
      pageOf.delete(id);
    }
  }
}
