/**
 * Keeps the pane usable when one panel fails to render: the panel is replaced by a message
 * that says what failed, with a way to try again; the tabs, and the sites and assumptions kept
 * above the panels, are untouched.
 */
import { Component, type ErrorInfo, type ReactNode } from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";

interface Props {
  /** What the panel is, in words ("Assumptions"). */
  readonly label: string;
  readonly children: ReactNode;
}

interface State {
  readonly failure?: string;
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { failure: error instanceof Error ? error.message : String(error) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The message on screen is for the user; the stack goes to the console for a bug report.
    console.error(`MinePivot: the ${this.props.label} panel failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.failure === undefined) return this.props.children;
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The {this.props.label} panel could not be shown.</MessageBarTitle>
          {this.state.failure}. The other tabs still work, and your sites and assumptions are kept.
        </MessageBarBody>
        <MessageBarActions>
          <Button size="small" onClick={() => this.setState({ failure: undefined })}>
            Try again
          </Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
}
