import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { useBackend } from './lib/backend/backend';
import { tauriBackend } from './lib/backend/tauri';

useBackend(tauriBackend);

const target = document.getElementById('app');
if (!target) throw new Error('#app missing');
export default mount(App, { target });
