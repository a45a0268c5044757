/** Notifications with a labelled close button (screen readers announce «Закрыть уведомление»). */
import { notifications, type NotificationData } from '@mantine/notifications';

export const notify = (data: NotificationData): string =>
  notifications.show({ closeButtonProps: { 'aria-label': 'Закрыть уведомление' }, autoClose: 5000, ...data });
