/** The knowledge base: search (Russian, any word form), edit, and the import of the list СП ЕПГУ hands over (seed 003 п. 3.1.1). */
import {
  Alert,
  Button,
  Card,
  FileInput,
  Group,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notify } from '../../lib/notify';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, sendRaw, type Schemas } from '../../api/client';
import { can, useUser } from '../../lib/session';
import { queries, queryKeys } from '../../api/queries';

type Article = Schemas['FaqArticle'];

function Editor({ article, onClose }: { article: Article | null; onClose: () => void }) {
  const client = useQueryClient();
  const [question, setQuestion] = useState(article?.question ?? '');
  const [answer, setAnswer] = useState(article?.answer ?? '');
  const [keywords, setKeywords] = useState(article?.keywords ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      const body = { question, answer, ...(keywords.trim() && { keywords }) };
      if (article) await ok(api.PUT('/faq/{id}', { params: { path: { id: article.id } }, body }));
      else await ok(api.POST('/faq', { body }));
      await client.invalidateQueries({ queryKey: queryKeys.faq.all() });
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Stack>
      <TextInput
        label="Вопрос"
        required
        value={question}
        onChange={(e) => setQuestion(e.currentTarget.value)}
      />
      <Textarea
        label="Ответ"
        required
        autosize
        minRows={5}
        value={answer}
        onChange={(e) => setAnswer(e.currentTarget.value)}
      />
      <TextInput
        label="Ключевые слова"
        value={keywords}
        onChange={(e) => setKeywords(e.currentTarget.value)}
      />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Отмена
        </Button>
        <Button onClick={() => void save()} disabled={!question.trim() || !answer.trim()}>
          Сохранить
        </Button>
      </Group>
    </Stack>
  );
}

function Import({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [csv, setCsv] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      const result = (await sendRaw('/faq/import', 'POST', 'text/csv; charset=utf-8', csv)) as {
        created: number;
        updated: number;
      };
      notify({
        color: 'teal',
        message: `FAQ загружен: новых ${result.created}, обновлено ${result.updated}`,
      });
      await client.invalidateQueries({ queryKey: queryKeys.faq.all() });
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Stack>
      <Text size="sm">
        CSV с заголовками question, answer, keywords (или «вопрос», «ответ», «ключевые слова»); разделитель
        «,» или «;». Повторная загрузка обновляет статьи с тем же id.
      </Text>
      <FileInput
        label="Файл CSV"
        accept=".csv,text/csv"
        onChange={(file) => {
          if (file) void file.text().then(setCsv);
        }}
      />
      <Textarea
        label="Или вставьте CSV"
        autosize
        minRows={6}
        value={csv}
        onChange={(e) => setCsv(e.currentTarget.value)}
      />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={() => void run()} disabled={!csv.trim()}>
          Загрузить
        </Button>
      </Group>
    </Stack>
  );
}

export default function FaqPage() {
  const user = useUser();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const [editing, setEditing] = useState<Article | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useQuery(queries.faq.search(debounced, 50));
  const editable = can.faqEdit(user);
  const remove = async (a: Article) => {
    if (!window.confirm(`Удалить статью «${a.question}»?`)) return;
    await ok(api.DELETE('/faq/{id}', { params: { path: { id: a.id } } }));
    await client.invalidateQueries({ queryKey: queryKeys.faq.all() });
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>База знаний (FAQ)</Title>
        {editable && (
          <Group>
            <Button onClick={() => setEditing('new')}>Новая статья</Button>
            <Button variant="default" onClick={() => setImporting(true)}>
              Импорт CSV
            </Button>
          </Group>
        )}
      </Group>
      <TextInput
        label="Поиск"
        type="search"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        maw={480}
      />
      {(list.data?.items ?? []).map((a) => (
        <Card withBorder key={a.id}>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4} style={{ flex: 1 }}>
              <Text fw={600}>{a.question}</Text>
              <Text size="sm" className="pre">
                {a.answer}
              </Text>
              {a.keywords && (
                <Text size="xs" c="gray.8">
                  Ключевые слова: {a.keywords}
                </Text>
              )}
            </Stack>
            {editable && (
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setEditing(a)}>
                  Изменить
                </Button>
                <Button size="xs" variant="subtle" color="red.9" c="red.9" onClick={() => void remove(a)}>
                  Удалить
                </Button>
              </Group>
            )}
          </Group>
        </Card>
      ))}
      {list.data?.items.length === 0 && <Text c="gray.8">Ничего не найдено.</Text>}
      <Modal
        closeButtonProps={{ 'aria-label': 'Закрыть' }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'Новая статья' : 'Статья FAQ'}
        size="lg"
      >
        {editing !== null && (
          <Editor article={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
        )}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': 'Закрыть' }}
        opened={importing}
        onClose={() => setImporting(false)}
        title="Импорт FAQ (п. 3.1.1)"
        size="lg"
      >
        <Import onClose={() => setImporting(false)} />
      </Modal>
    </Stack>
  );
}
