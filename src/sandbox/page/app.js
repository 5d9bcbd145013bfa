// The sandbox page: renders what the bot sent to the Slack stand-in (Block Kit) and sends what
// a person does here to the sandbox server, which signs it and posts it to the bot as Slack does.
// Plain DOM code, no build step: the page is served as is by src/sandbox/page-server.ts.

const EMOJI = {
  alarm_clock: '⏰',
  arrows_counterclockwise: '🔄',
  aws: '☁️',
  ballot_box_with_check: '☑️',
  bell: '🔔',
  bust_in_silhouette: '👤',
  calendar: '📆',
  clipboard: '📋',
  eyes: '👀',
  floppy_disk: '💾',
  gear: '⚙️',
  heavy_check_mark: '✔️',
  heavy_multiplication_x: '✖️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  inbox_tray: '📥',
  information_source: 'ℹ️',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  octagonal_sign: '🛑',
  recycle: '♻️',
  red_circle: '🔴',
  repeat: '🔁',
  raised_hand: '✋',
  rewind: '⏪',
  rocket: '🚀',
  snowflake: '❄️',
  stopwatch: '⏱️',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
};

const params = new URLSearchParams(location.search);
const ui = { me: params.get('as') || 'U0REQUESTER', thread: null, state: null, shown: '', modalKey: '' };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ---------- mrkdwn ----------

function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function personName(id) {
  if (id === ui.state?.bot.id) return ui.state.bot.name;
  return ui.state?.people.find((p) => p.id === id)?.name ?? id;
}

/** One `<…>` token of Slack's message format: a mention, a channel, a date or a link. */
function special(token) {
  const [target, label] = token.split('|', 2);
  if (target.startsWith('@'))
    return el('span', { class: 'mention' }, `@${label ?? personName(target.slice(1))}`);
  if (target.startsWith('#'))
    return el('span', { class: 'mention' }, `#${label ?? ui.state?.channel.name ?? target.slice(1)}`);
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    return el('span', { class: 'mention' }, `@${label ?? ui.state?.userGroups[id] ?? id}`);
  }
  if (target.startsWith('!date^')) {
    const seconds = Number(target.split('^')[1]);
    const text = Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString() : (label ?? token);
    return el('span', {}, text);
  }
  if (target.startsWith('!')) return el('span', { class: 'mention' }, `@${target.slice(1)}`);
  if (/^(https?:|mailto:)/.test(target)) {
    return el('a', { href: target, target: '_blank', rel: 'noreferrer' }, decodeEntities(label ?? target));
  }
  return `<${decodeEntities(token)}>`;
}

// Leftmost wins: code, a <token>, or bold/italic/strike (which may hold code and tokens).
const INLINE =
  /(`[^`\n]+`)|<([^<>\n]+)>|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w_])_([^_\n]+)_(?![\w_])|(?<![\w~])~([^~\n]+)~(?![\w~])/;
const STYLE_TAGS = { 3: 'b', 4: 'i', 5: 's' };

function emoji(text, out) {
  text.split(/(:[a-z0-9_+-]+:)/).forEach((part, i) => {
    if (i % 2 === 1 && EMOJI[part.slice(1, -1)]) out.push(EMOJI[part.slice(1, -1)]);
    else if (part) out.push(part);
  });
}

/** One line of mrkdwn (no code fences) as nodes pushed to `out`. */
function inline(line, out) {
  let rest = line;
  for (;;) {
    const match = INLINE.exec(rest);
    if (!match) break;
    if (match.index > 0) emoji(decodeEntities(rest.slice(0, match.index)), out);
    if (match[1]) out.push(el('code', {}, decodeEntities(match[1].slice(1, -1))));
    else if (match[2]) out.push(special(match[2]));
    else {
      const group = [3, 4, 5].find((g) => match[g] !== undefined);
      const inner = [];
      inline(match[group], inner);
      out.push(el(STYLE_TAGS[group], {}, ...inner));
    }
    rest = rest.slice(match.index + match[0].length);
  }
  if (rest) emoji(decodeEntities(rest), out);
}

/** Slack's mrkdwn as DOM nodes (no HTML string is ever parsed). */
function mrkdwn(text) {
  const out = [];
  text.split(/```([\s\S]*?)```/).forEach((chunk, i) => {
    if (i % 2 === 1) {
      out.push(el('pre', {}, decodeEntities(chunk.replace(/^\n/, ''))));
      return;
    }
    const lines = chunk.split('\n');
    lines.forEach((line, n) => {
      const quote = /^(>|&gt;)/.exec(line);
      if (quote) {
        const nodes = [];
        inline(line.slice(quote[0].length), nodes);
        out.push(el('span', { class: 'quote' }, ...nodes));
      } else {
        inline(line, out);
        if (n < lines.length - 1) out.push(el('br'));
      }
    });
  });
  return out;
}

function textObject(t) {
  if (!t) return [];
  if (t.type === 'mrkdwn') return mrkdwn(t.text ?? '');
  return [plainText(t)];
}

function plainText(t) {
  if (!t) return '';
  return (t.text ?? '').replace(/:([a-z0-9_+-]+):/g, (m, name) => (t.emoji !== false && EMOJI[name]) || m);
}

// ---------- Block Kit ----------

function button(element, message) {
  const cls = [
    'btn',
    element.style === 'primary' ? 'primary' : '',
    element.style === 'danger' ? 'danger' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return el(
    'button',
    {
      type: 'button',
      class: cls,
      onclick: () =>
        withConfirm(element.confirm, () =>
          send('/api/click', {
            messageId: message.id,
            actionId: element.action_id,
            blockId: message.blockId,
            value: element.value,
            text: plainText(element.text),
          }),
        ),
    },
    plainText(element.text),
  );
}

function actionElement(element, message) {
  if (element.type === 'button') return button(element, message);
  // Selects and other interactive elements of messages are shown, not sent (the bot uses none).
  if (element.type === 'static_select') {
    return el(
      'select',
      { disabled: true, 'aria-label': plainText(element.placeholder) },
      el('option', {}, plainText(element.placeholder) || 'Select'),
    );
  }
  return el('span', { class: 'unknown' }, `[${element.type}]`);
}

function block(b, message) {
  switch (b.type) {
    case 'header':
      return el('div', { class: 'b-header', role: 'heading', 'aria-level': '3' }, plainText(b.text));
    case 'section': {
      const body = el('div', { class: 'b-section-body' });
      if (b.text) body.append(el('div', { class: 'b-text' }, ...textObject(b.text)));
      if (b.fields)
        body.append(
          el('div', { class: 'b-fields' }, ...b.fields.map((f) => el('div', {}, ...textObject(f)))),
        );
      const section = el('div', { class: 'b-section' }, body);
      if (b.accessory) section.append(actionElement(b.accessory, { ...message, blockId: b.block_id }));
      return section;
    }
    case 'context':
      return el(
        'div',
        { class: 'b-context' },
        ...b.elements.map((e) =>
          e.type === 'image'
            ? el('span', { class: 'img-alt' }, e.alt_text ?? '')
            : el('span', {}, ...textObject(e)),
        ),
      );
    case 'actions':
      return el(
        'div',
        { class: 'b-actions' },
        ...b.elements.map((e) => actionElement(e, { ...message, blockId: b.block_id })),
      );
    case 'divider':
      return el('hr', { class: 'b-divider' });
    case 'image':
      return el('div', { class: 'img-alt' }, `[image: ${b.alt_text ?? ''}]`);
    case 'rich_text':
      return el('div', { class: 'b-text' }, JSON.stringify(b.elements).slice(0, 200));
    default:
      return el('div', { class: 'unknown' }, `[${b.type} block]`);
  }
}

function blocks(list, message) {
  return el('div', { class: 'blocks' }, ...(list ?? []).map((b) => block(b, message)));
}

// ---------- messages ----------

function initials(name) {
  return name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function messageView(m, { inThread = false } = {}) {
  const name = ui.state.bot.name;
  const content = m.blocks?.length
    ? blocks(m.blocks, m)
    : el('div', { class: 'b-text' }, ...mrkdwn(m.text ?? ''));
  const meta = el(
    'div',
    { class: 'meta' },
    el('span', { class: 'author' }, name),
    el('span', { class: 'badge' }, 'APP'),
    el(
      'span',
      { class: 'time' },
      new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    ),
    m.edited ? el('span', { class: 'edited' }, '(edited)') : null,
  );
  const article = el(
    'article',
    {
      class: `message${m.ephemeral ? ' ephemeral' : ''}${m.threadTs ? ' reply' : ''}`,
      'data-message-id': m.id,
      'aria-label': `Message ${m.id}`,
    },
    el('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)),
    el(
      'div',
      { class: 'body' },
      m.ephemeral ? el('div', { class: 'only-you' }, '👁 Only visible to you') : null,
      meta,
      content,
      !inThread && m.replies > 0
        ? el(
            'button',
            { type: 'button', class: 'replies', onclick: () => openThread(m.ts) },
            `${m.replies} ${m.replies === 1 ? 'reply' : 'replies'}`,
          )
        : null,
    ),
  );
  return article;
}

function nearBottom(node) {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 80;
}

function renderMessages() {
  const list = document.getElementById('messages');
  const stick = nearBottom(list);
  list.replaceChildren(...ui.state.messages.map((m) => messageView(m)));
  if (stick) list.scrollTop = list.scrollHeight;
  renderThread();
}

function renderThread() {
  const panel = document.getElementById('thread');
  const parent = ui.thread && ui.state.messages.find((m) => m.ts === ui.thread);
  panel.hidden = !parent;
  if (!parent) return;
  const list = document.getElementById('thread-messages');
  const stick = nearBottom(list);
  const replies = ui.state.threads[ui.thread] ?? [];
  list.replaceChildren(
    messageView(parent, { inThread: true }),
    el('div', { class: 'reply-count' }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
    ...replies.map((r) => messageView(r, { inThread: true })),
  );
  if (stick) list.scrollTop = list.scrollHeight;
}

function openThread(ts) {
  ui.thread = ts;
  renderThread();
}

function renderPeople() {
  const box = document.getElementById('people');
  box.replaceChildren(
    ...ui.state.people.map((p) =>
      el(
        'button',
        {
          type: 'button',
          role: 'radio',
          class: `person${p.id === ui.me ? ' active' : ''}`,
          'aria-checked': p.id === ui.me ? 'true' : 'false',
          onclick: () => switchPerson(p.id),
        },
        el('span', { class: 'avatar small', 'aria-hidden': 'true' }, initials(p.name)),
        el('span', {}, el('span', { class: 'person-name' }, p.name), el('span', { class: 'role' }, p.role)),
      ),
    ),
  );
}

function switchPerson(id) {
  ui.me = id;
  const url = new URL(location.href);
  url.searchParams.set('as', id);
  history.replaceState(null, '', url);
  ui.shown = '';
  ui.modalKey = '';
  refresh();
}

// ---------- dialogs ----------

function layer(id, dialog) {
  const node = document.getElementById(id);
  node.replaceChildren(dialog);
  node.hidden = false;
  dialog.querySelector('input, select, textarea, button.primary, button')?.focus();
}

function closeLayer(id) {
  const node = document.getElementById(id);
  node.hidden = true;
  node.replaceChildren();
}

/** Slack's confirm dialog of a button: nothing is sent until the person confirms. */
function withConfirm(confirm, action) {
  if (!confirm) {
    action();
    return;
  }
  const title = plainText(confirm.title) || 'Are you sure?';
  const confirmClass = `btn ${confirm.style === 'danger' ? 'danger' : 'primary'}`;
  const dialog = el(
    'div',
    { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
    el('h2', {}, title),
    el('div', { class: 'b-text' }, ...textObject(confirm.text)),
    el(
      'div',
      { class: 'dialog-buttons' },
      el(
        'button',
        { type: 'button', class: 'btn', onclick: () => closeLayer('confirm-layer') },
        plainText(confirm.deny) || 'Cancel',
      ),
      el(
        'button',
        {
          type: 'button',
          class: confirmClass,
          onclick: () => {
            closeLayer('confirm-layer');
            action();
          },
        },
        plainText(confirm.confirm) || 'Yes',
      ),
    ),
  );
  layer('confirm-layer', dialog);
}

function options(element) {
  const groups = element.option_groups ?? [{ options: element.options ?? [] }];
  return groups.flatMap((g) => g.options ?? []);
}

/** One input element of a modal, and how to read its value back as Slack's view.state does. */
function inputElement(element, id) {
  const initial = element.initial_value ?? '';
  switch (element.type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const attrs = { id, name: id, placeholder: plainText(element.placeholder) || undefined };
      const node = element.multiline
        ? el('textarea', attrs, initial)
        : el('input', {
            ...attrs,
            value: initial,
            type: element.type === 'number_input' ? 'number' : 'text',
          });
      return {
        node,
        read: () =>
          node.value === '' ? { type: element.type, value: null } : { type: element.type, value: node.value },
      };
    }
    case 'static_select': {
      const opts = options(element);
      const node = el(
        'select',
        { id, name: id },
        el('option', { value: '' }, plainText(element.placeholder) || 'Choose…'),
        ...opts.map((o) =>
          el(
            'option',
            { value: o.value, selected: element.initial_option?.value === o.value },
            plainText(o.text),
          ),
        ),
      );
      return {
        node,
        read: () => {
          const chosen = opts.find((o) => o.value === node.value);
          return {
            type: element.type,
            selected_option: chosen ? { text: chosen.text, value: chosen.value } : null,
          };
        },
      };
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const multi = element.type === 'checkboxes';
      const opts = element.options ?? [];
      const initialValues = multi
        ? (element.initial_options ?? []).map((o) => o.value)
        : [element.initial_option?.value];
      const inputs = opts.map((o) =>
        el('input', {
          type: multi ? 'checkbox' : 'radio',
          name: id,
          value: o.value,
          checked: initialValues.includes(o.value),
        }),
      );
      const node = el(
        'div',
        { class: 'choices', id, role: multi ? 'group' : 'radiogroup' },
        ...opts.map((o, i) => el('label', {}, inputs[i], ' ', ...textObject(o.text))),
      );
      return {
        node,
        read: () => {
          const picked = opts
            .filter((_, i) => inputs[i].checked)
            .map((o) => ({ text: o.text, value: o.value }));
          return multi
            ? { type: element.type, selected_options: picked }
            : { type: element.type, selected_option: picked[0] ?? null };
        },
      };
    }
    case 'datetimepicker': {
      const start = element.initial_date_time
        ? new Date(element.initial_date_time * 1000).toISOString().slice(0, 16)
        : '';
      const node = el('input', { id, name: id, type: 'datetime-local', value: start });
      return {
        node,
        read: () => ({
          type: element.type,
          selected_date_time: node.value ? Math.floor(new Date(node.value).getTime() / 1000) : null,
        }),
      };
    }
    case 'datepicker': {
      const node = el('input', { id, name: id, type: 'date', value: element.initial_date ?? '' });
      return { node, read: () => ({ type: element.type, selected_date: node.value || null }) };
    }
    case 'timepicker': {
      const node = el('input', { id, name: id, type: 'time', value: element.initial_time ?? '' });
      return { node, read: () => ({ type: element.type, selected_time: node.value || null }) };
    }
    default:
      return {
        node: el('span', { class: 'unknown' }, `[${element.type}]`),
        read: () => ({ type: element.type }),
      };
  }
}

/** A modal opened with views.open: its blocks, inputs and submit, as Slack shows it. */
function renderModal(view) {
  const key = view ? `${view.id}:${JSON.stringify(view.view)}` : '';
  if (key !== ui.modalKey) {
    ui.modalKey = key;
    if (!view) {
      closeLayer('modal-layer');
      return;
    }
    const readers = [];
    const title = plainText(view.view.title) || 'Form';
    const form = el('form', {
      class: 'dialog modal',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-label': title,
    });
    form.append(el('h2', {}, title));
    for (const b of view.view.blocks ?? []) {
      if (b.type !== 'input') {
        form.append(block(b, { id: view.id }));
        continue;
      }
      const id = `in-${b.block_id}-${b.element.action_id}`;
      const { node, read } = inputElement(b.element, id);
      readers.push({ blockId: b.block_id, actionId: b.element.action_id, read });
      form.append(
        el(
          'div',
          { class: 'input-block', 'data-block-id': b.block_id },
          el(
            'label',
            { for: id },
            plainText(b.label),
            b.optional ? el('span', { class: 'optional' }, ' (optional)') : null,
          ),
          node,
          b.hint ? el('div', { class: 'hint' }, plainText(b.hint)) : null,
          el('div', { class: 'error', role: 'alert' }),
        ),
      );
    }
    form.append(
      el(
        'div',
        { class: 'dialog-buttons' },
        el(
          'button',
          { type: 'button', class: 'btn', onclick: () => send('/api/view/close', { viewId: view.id }) },
          plainText(view.view.close) || 'Cancel',
        ),
        view.view.submit
          ? el('button', { type: 'submit', class: 'btn primary' }, plainText(view.view.submit))
          : null,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const values = {};
      for (const r of readers) {
        values[r.blockId] ??= {};
        values[r.blockId][r.actionId] = r.read();
      }
      send('/api/view/submit', { viewId: view.id, values });
    });
    layer('modal-layer', form);
  }
  if (!view) return;
  for (const node of document.querySelectorAll('#modal-layer .input-block')) {
    node.querySelector('.error').textContent = view.errors[node.dataset.blockId] ?? '';
  }
}

// ---------- talking to the sandbox ----------

function showAlert(text) {
  const node = document.getElementById('alert');
  node.textContent = text;
  node.hidden = !text;
}

function render(state) {
  ui.state = state;
  const key = JSON.stringify([state.messages, state.threads, state.people, ui.me]);
  if (key !== ui.shown) {
    ui.shown = key;
    document.getElementById('channel-name').textContent = state.channel.name;
    document.getElementById('channel-title').textContent = state.channel.name;
    renderPeople();
    renderMessages();
  }
  renderModal(state.view);
}

async function send(path, body) {
  showAlert('');
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ui.me, ...body }),
    });
    const answer = await response.json();
    if (!response.ok) showAlert(answer.error ?? `HTTP ${response.status}`);
    else render(answer);
  } catch (err) {
    showAlert(`The sandbox is not answering (${err.message}). Is npm start still running?`);
  }
}

async function refresh() {
  try {
    const response = await fetch(`/api/state?user=${encodeURIComponent(ui.me)}`);
    if (response.ok) render(await response.json());
  } catch {
    showAlert('The sandbox is not answering. Is npm start still running?');
  }
}

document.getElementById('composer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('composer');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send('/api/command', { text });
});
document.getElementById('thread-close').addEventListener('click', () => {
  ui.thread = null;
  renderThread();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !document.getElementById('confirm-layer').hidden) closeLayer('confirm-layer');
});

refresh();
setInterval(refresh, 700);
