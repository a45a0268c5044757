import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, ok, type User } from '../api/client';
import { queryKeys } from '../api/queries';

/** After a temporary password (first run, an admin's reset) the person chooses their own. */
export function ChangePassword({ user }: { user: User }) {
  const client = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) return setError('Новый пароль и повтор не совпадают.');
    try {
      await ok(api.POST('/session/password', { body: { currentPassword: current, newPassword: next } }));
      await client.invalidateQueries({ queryKey: queryKeys.session() });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Сервер недоступен.');
    }
  };
  return (
    <Center mih="100vh" bg="gray.1" component="main">
      <Paper withBorder p="xl" w={420} maw="94vw">
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Title order={1} size="h3">
              Смена временного пароля
            </Title>
            <Text size="sm">
              {user.name}, вы вошли с временным паролем. Придумайте свой — не короче 10 символов.
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              label="Временный пароль"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <PasswordInput
              label="Новый пароль"
              autoComplete="new-password"
              required
              value={next}
              onChange={(e) => setNext(e.currentTarget.value)}
            />
            <PasswordInput
              label="Новый пароль ещё раз"
              autoComplete="new-password"
              required
              value={again}
              onChange={(e) => setAgain(e.currentTarget.value)}
            />
            <Button type="submit">Сохранить пароль</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
