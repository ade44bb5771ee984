// The operator console's entry point.
import { render } from 'preact';
import '../ui/base.css';
import './console.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
