import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, ok, setCsrfToken } from '../api/client';
import { queries } from '../api/queries';

export function Login() {
  const client = useQueryClient();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await ok(api.POST('/session', { body: { login, password } }));
      setCsrfToken(session.csrfToken);
      client.setQueryData(queries.session().queryKey, session);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Сервер недоступен. Повторите попытку.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" bg="gray.1" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="94vw">
        <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
          <Stack>
            <Title order={1} size="h3" id="login-title">
              Вход в консоль reglament
            </Title>
            <Text size="sm" c="gray.8">
              Служба технической поддержки по регламентам
            </Text>
            {error && (
              <Alert color="red" role="alert" title="Не удалось войти">
                {error}
              </Alert>
            )}
            <TextInput
              label="Логин"
              name="login"
              autoComplete="username"
              required
              autoFocus
              value={login}
              onChange={(e) => setLogin(e.currentTarget.value)}
            />
            <PasswordInput
              label="Пароль"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Войти
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
