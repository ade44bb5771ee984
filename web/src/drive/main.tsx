// The driver portal's entry point (/drive).
import { render } from 'preact';
import '../ui/base.css';
import './drive.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
