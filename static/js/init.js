// Footing: initialise GOV.UK Frontend (an external module because CSP forbids inline scripts).
import { initAll } from '../govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
