/**
 * Issue #18: what the intake's sender check said (SPF, DKIM, DMARC), as a small badge beside a
 * message: «Отправитель подтверждён (DMARC, …)» or «Отправитель не подтверждён: SPF fail, …».
 * Nothing when the check is off (MAIL_AUTH=off) or the mail is older than it.
 */
import { Badge } from '@mantine/core';

export interface SenderAuthView {
  readonly authenticated: boolean;
  readonly summary: string;
}

export function SenderBadge({ auth }: { auth: SenderAuthView | null | undefined }) {
  if (!auth) return null;
  return (
    <Badge size="sm" tt="none" color={auth.authenticated ? 'teal.9' : 'red.9'} data-testid="sender-auth">
      {auth.summary}
    </Badge>
  );
}
