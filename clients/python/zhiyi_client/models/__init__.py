"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_input_request import ApiKeyInputRequest
from .auth_token_request import AuthTokenRequest
from .balance import Balance
from .documents_refused import DocumentsRefused
from .documents_refused_errors import DocumentsRefusedErrors
from .engine import Engine
from .error import Error
from .expiring import Expiring
from .formality_enum import FormalityEnum
from .format_ import Format
from .format_output import FormatOutput
from .glossary import Glossary
from .glossary_upload_request import GlossaryUploadRequest
from .insufficient_credits import InsufficientCredits
from .job import Job
from .job_action import JobAction
from .job_action_refused_item import JobActionRefusedItem
from .job_counts import JobCounts
from .job_detail import JobDetail
from .job_event import JobEvent
from .job_status_enum import JobStatusEnum
from .job_task import JobTask
from .job_upload_request import JobUploadRequest
from .ledger_entry import LedgerEntry
from .ledger_kind_enum import LedgerKindEnum
from .memory_cleared import MemoryCleared
from .memory_summary import MemorySummary
from .multi_quote import MultiQuote
from .multi_quote_refused_item import MultiQuoteRefusedItem
from .new_api_key import NewApiKey
from .notification import Notification
from .notification_event import NotificationEvent
from .notification_kind_enum import NotificationKindEnum
from .notification_read import NotificationRead
from .notifications_read import NotificationsRead
from .paginated_api_key_list import PaginatedApiKeyList
from .paginated_glossary_list import PaginatedGlossaryList
from .paginated_job_list import PaginatedJobList
from .paginated_ledger_entry_list import PaginatedLedgerEntryList
from .paginated_notification_list import PaginatedNotificationList
from .paginated_task_output_list import PaginatedTaskOutputList
from .quote_line import QuoteLine
from .quote_upload_request import QuoteUploadRequest
from .refused_document import RefusedDocument
from .scopes_enum import ScopesEnum
from .stream_token import StreamToken
from .stream_token_options_request import StreamTokenOptionsRequest
from .task_output import TaskOutput
from .task_status_enum import TaskStatusEnum
from .task_status_event import TaskStatusEvent
from .task_status_event_message_params import TaskStatusEventMessageParams
from .task_upload_request import TaskUploadRequest
from .tasks_list_status import TasksListStatus
from .token import Token
from .usage import Usage
from .usage_row import UsageRow
from .usage_totals import UsageTotals
from .validation_error import ValidationError
from .validation_error_errors import ValidationErrorErrors
from .webhook_answer import WebhookAnswer
from .webhook_event import WebhookEvent
from .webhook_event_data import WebhookEventData
from .webhook_event_type_enum import WebhookEventTypeEnum

__all__ = (
    "ApiKey",
    "ApiKeyInputRequest",
    "AuthTokenRequest",
    "Balance",
    "DocumentsRefused",
    "DocumentsRefusedErrors",
    "Engine",
    "Error",
    "Expiring",
    "FormalityEnum",
    "Format",
    "FormatOutput",
    "Glossary",
    "GlossaryUploadRequest",
    "InsufficientCredits",
    "Job",
    "JobAction",
    "JobActionRefusedItem",
    "JobCounts",
    "JobDetail",
    "JobEvent",
    "JobStatusEnum",
    "JobTask",
    "JobUploadRequest",
    "LedgerEntry",
    "LedgerKindEnum",
    "MemoryCleared",
    "MemorySummary",
    "MultiQuote",
    "MultiQuoteRefusedItem",
    "NewApiKey",
    "Notification",
    "NotificationEvent",
    "NotificationKindEnum",
    "NotificationRead",
    "NotificationsRead",
    "PaginatedApiKeyList",
    "PaginatedGlossaryList",
    "PaginatedJobList",
    "PaginatedLedgerEntryList",
    "PaginatedNotificationList",
    "PaginatedTaskOutputList",
    "QuoteLine",
    "QuoteUploadRequest",
    "RefusedDocument",
    "ScopesEnum",
    "StreamToken",
    "StreamTokenOptionsRequest",
    "TaskOutput",
    "TasksListStatus",
    "TaskStatusEnum",
    "TaskStatusEvent",
    "TaskStatusEventMessageParams",
    "TaskUploadRequest",
    "Token",
    "Usage",
    "UsageRow",
    "UsageTotals",
    "ValidationError",
    "ValidationErrorErrors",
    "WebhookAnswer",
    "WebhookEvent",
    "WebhookEventData",
    "WebhookEventTypeEnum",
)
