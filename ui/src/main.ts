import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { useBackend } from './lib/backend/backend';
import { loadAtStart } from './lib/state.svelte';
import { tauriBackend } from './lib/backend/tauri';

useBackend(tauriBackend);

const target = document.getElementById('app');
if (!target) throw new Error('#app missing');
// The first request leaves before anything is drawn, and the app is mounted once it is answered:
// the first frame is then the screen itself, and Rates asks for its data in the same pass. A
// "loading" frame drawn first would hold the answer back until it is laid out (~30 ms here).
// A status slower than 150 ms shows that frame after all.
const starting = loadAtStart();
const patience = new Promise((resolve) => setTimeout(resolve, 150));
void Promise.race([starting.catch(() => undefined), patience]).then(() => mount(App, { target, props: { starting } }));
