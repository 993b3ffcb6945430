import type { Command } from '../command.js';
import { demoCommand } from './demo.js';

/** Every command, in the order `tender --help` lists them. */
export const COMMANDS: Command[] = [demoCommand];
