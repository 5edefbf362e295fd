import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { useBackend } from './lib/backend/backend';
import { loadAtStart } from './lib/state.svelte';
import { tauriBackend } from './lib/backend/tauri';

useBackend(tauriBackend);

const target = document.getElementById('app');
if (!target) throw new Error('#app missing');
// The first request leaves before the first render: Rust answers while the page is built.
const starting = loadAtStart();
export default mount(App, { target, props: { starting } });
